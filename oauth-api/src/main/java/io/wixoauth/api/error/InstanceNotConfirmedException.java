package io.wixoauth.api.error;

/**
 * Wix did not confirm that the code of an install callback belongs to the instance the browser named (protocol
 * section 2, step 4): the callback is refused and nothing is written under that instance.
 */
public class InstanceNotConfirmedException extends ServiceException {

    public InstanceNotConfirmedException(String message) {
        super(message, "instance_not_confirmed", ErrorKind.INVALID_REQUEST);
    }
}
